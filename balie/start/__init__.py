"""The coordinator's first page: what needs attention today across the library's desk, queue, referrals and signals.

Its own small package on the same layer as insight, because it reads several apps (desk, walkin, referrals, signals)
that do not know each other.
"""
