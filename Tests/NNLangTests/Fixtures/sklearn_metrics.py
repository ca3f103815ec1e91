#!/usr/bin/env python3
"""Writes sklearn_metrics.json: scikit-learn's numbers for fixed predictions, which
MetricsFixtureTests holds nn's `Metrics` to (to 1e-12).

Regenerate (from this folder, with scikit-learn installed: pip install scikit-learn):

    python3 sklearn_metrics.py

The predictions and targets are written here and copied into the JSON, so the Swift test reads
both the inputs and scikit-learn's answers from the one file.
"""
import json
import math

import sklearn
from sklearn.metrics import classification_report, mean_absolute_error, mean_squared_error, r2_score

# Classes as indices 0..<classes; every case names all its classes with labels=, as nn does.
CLASSIFICATION = [
    {"name": "three classes", "classes": 3,
     "actual":    [0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 0, 1, 2, 0, 1],
     "predicted": [0, 0, 1, 0, 1, 1, 2, 1, 1, 2, 2, 0, 2, 2, 1, 0, 1, 2, 2, 1]},
    {"name": "two classes", "classes": 2,
     "actual":    [0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0],
     "predicted": [0, 1, 0, 0, 1, 1, 0, 1, 1, 0, 0]},
    # Class 2 is never predicted (precision 0/0) and class 3 has no samples (recall 0/0).
    {"name": "zero division", "classes": 4,
     "actual":    [0, 1, 2, 2, 0, 1, 1, 0],
     "predicted": [0, 1, 0, 1, 0, 3, 1, 1]},
    {"name": "all right", "classes": 3,
     "actual":    [2, 0, 1, 2, 2],
     "predicted": [2, 0, 1, 2, 2]},
]

# Targets and outputs as rows of samples.
REGRESSION = [
    {"name": "one output",
     "targets": [[3.0], [-0.5], [2.0], [7.0], [4.25], [1.5]],
     "outputs": [[2.5], [0.0], [2.0], [8.0], [3.9], [1.0]]},
    {"name": "two outputs",
     "targets": [[0.5, 1.0], [-1.0, 1.0], [7.0, -6.0], [2.2, 0.3]],
     "outputs": [[0.0, 2.0], [-1.0, 2.0], [8.0, -5.0], [2.0, 0.1]]},
    # The second column's targets are constant: R² is 1 if predicted exactly, else 0.
    {"name": "constant column",
     "targets": [[1.0, 4.0], [2.0, 4.0], [3.0, 4.0]],
     "outputs": [[1.1, 4.0], [1.9, 4.5], [3.2, 3.0]]},
    {"name": "worse than the mean",
     "targets": [[1.0], [2.0], [3.0]],
     "outputs": [[3.0], [2.0], [1.0]]},
]


def classification(case):
    report = classification_report(case["actual"], case["predicted"], labels=list(range(case["classes"])),
                                    output_dict=True, zero_division=0)

    def scores(entry):
        return {"precision": entry["precision"], "recall": entry["recall"],
                "f1": entry["f1-score"], "support": int(entry["support"])}

    return dict(case,
                per_class=[scores(report[str(c)]) for c in range(case["classes"])],
                macro=scores(report["macro avg"]),
                weighted=scores(report["weighted avg"]),
                accuracy=report["accuracy"])


def regression(case):
    mse = mean_squared_error(case["targets"], case["outputs"])
    return dict(case,
                r2=r2_score(case["targets"], case["outputs"]),
                mae=mean_absolute_error(case["targets"], case["outputs"]),
                mse=mse,
                rmse=math.sqrt(mse))


with open("sklearn_metrics.json", "w") as file:
    json.dump({"sklearn_version": sklearn.__version__,
               "classification": [classification(case) for case in CLASSIFICATION],
               "regression": [regression(case) for case in REGRESSION]}, file, indent=1)
    file.write("\n")
