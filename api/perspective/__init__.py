"""Google's Perspective API (v1alpha1), whole: routes, request parsing and response shapes, attributes,
Google's error codes, the discovery document, languages, the per-key quota and ``suggestscore``. Only the wire
protocol lives here; the moderation use case does the scoring and the domain stores the suggestions."""
