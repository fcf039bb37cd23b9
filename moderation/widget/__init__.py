"""The comment-form widget's domain: publishable keys (``keys``), comment rules and the pre-check
(``precheck``), and an article's comments as a comment section shows them (``comments``). HTTP lives in
``api/routes/widget.py`` and ``api/routes/demo.py``."""
