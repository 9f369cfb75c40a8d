"""Judging cases (规则评估): the rules and their settings, evaluation, the time-limit scan."""
