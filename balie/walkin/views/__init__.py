"""Walk-in queue pages: for staff at the desk (staff) and for visitors, the kiosk and the screen (public)."""
