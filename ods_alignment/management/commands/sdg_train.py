"""Retrain the SDG suggestion model from labelled examples (e.g. agreed alignments).

    manage.py sdg_train --from-alignments [--examples more.jsonl] [--output model.npz]

--from-alignments learns from the published alignments (each initiative's indexed title and
text with its agreed goals and targets); --examples adds JSON Lines files.

Input: JSON Lines {"text": "...", "lang": "es"|"en"|"fr", "goals": [6, 11], "targets": ["6.1"]}.
First the examples are split (stable hash of the text) into a training part and a held-out part
(--holdout, default 20%) that is never trained on; the model trained on the training part and
the untrained model (official texts + lexicon, calibrated on the same training part) are both
scored on the held-out part, and the improvement in macro F1 and accuracy is printed. Then the
model is trained on all the examples and written (default: `SDG_MODEL_PATH`, else the shipped
model file). Without examples it writes the untrained model.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Retrain the SDG suggestion model from JSON Lines of labelled examples and report held-out F1."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--examples", action="append", default=[], help="JSON Lines file (repeatable)")
        parser.add_argument(
            "--from-alignments", action="store_true", help="learn from the published alignments in the database"
        )
        parser.add_argument("--output", help="model file to write (default: the shipped model)")
        parser.add_argument("--holdout", type=float, default=0.2, help="share held out for the report (0.2)")
        parser.add_argument("--data-dir", help="folder of the official SDG YAML texts (es/, en/, fr/)")

    def handle(self, *args: Any, **options: Any) -> None:
        from ods_alignment.suggest import (
            GOALS,
            Example,
            build_base,
            detect_language,
            model_path,
            read_examples,
            reset_default_model,
        )
        from ods_alignment.suggest import train as train_model
        from ods_alignment.suggest.catalogue import load_official_texts
        from ods_alignment.suggest.model import macro_f1

        share = options["holdout"]
        if not 0 < share < 1:
            raise CommandError("--holdout must be between 0 and 1 (e.g. 0.2)")
        examples = []
        for path in options["examples"]:
            try:
                examples.extend(read_examples(path))
            except (OSError, ValueError) as exc:
                raise CommandError(str(exc)) from exc
        if options["from_alignments"]:
            from ods_alignment.selectors import agreed_texts

            agreed = agreed_texts()
            examples.extend(Example.of(a.text, detect_language(a.text), a.goals, a.targets) for a in agreed)
            self.stdout.write(f"{len(agreed)} published alignments")
        official = load_official_texts(options.get("data_dir"))
        output = options.get("output") or model_path()

        if not examples:
            model = build_base(official=official)
            path = model.save(output)
            reset_default_model()
            self.stdout.write(f"no examples: wrote the untrained model to {path}")
            return

        def held(text: str) -> bool:
            return int.from_bytes(hashlib.sha256(f"holdout{text}".encode()).digest()[:4], "big") / 2**32 < share

        training = [e for e in examples if not held(e.text)]
        holdout = [e for e in examples if held(e.text)]
        if len(training) < 10 or len(holdout) < 5:
            self.stdout.write(f"only {len(examples)} examples: too few for a held-out figure, training on all")
        else:
            truth = np.array([[g + 1 in e.goals for g in range(GOALS)] for e in holdout])

            def scores(m: Any) -> tuple[float, float]:
                pred = np.array([m.decide(m.goal_scores(e.text, e.lang)) for e in holdout])
                return macro_f1(truth, pred), float((pred == truth).mean())

            before = scores(build_base(official=official, tuning=training))
            after = scores(train_model(training, official=official))
            self.stdout.write(
                f"held-out {len(holdout)} of {len(examples)} examples (never trained on): "
                f"macro F1 {before[0]:.3f} -> {after[0]:.3f} ({after[0] - before[0]:+.3f}), "
                f"accuracy {before[1]:.3f} -> {after[1]:.3f}"
            )
        model = train_model(examples, official=official)
        path = model.save(output)
        reset_default_model()
        self.stdout.write(f"trained on {len(examples)} examples (beta {model.beta}); wrote {path}")
