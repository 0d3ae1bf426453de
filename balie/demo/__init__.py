"""Demo data for development, tests and `make run`: the demo network, registrations, social map and survey answers.

A development app on top of the domain apps: it imports them, they never import it (issue 11).
"""
