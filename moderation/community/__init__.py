"""The person and the community behind a comment (Coral Talk's moderation features): the author's standing and
history (``people.py``), site word lists (``wordlists.py``), links and spam (``links.py``), and the rules that
turn them into reasons (``rules.py``). Pure: no I/O; the store gathers an author's history
(``store/community_repo.py``)."""
