"""Survey pages: the coordinator's overview (staff) and the visitor's short questionnaire (public)."""
