"""Scores rows with a Beamline model through Python's mlflow and compares with Beamline's own predictions.

Usage: parity.py FEATURES.csv RAW.csv SKIP_LINES RUNS_URI MODELS_URI  (MLFLOW_TRACKING_URI names the server)
FEATURES.csv holds the model's transformed input columns and a last column beamline_prediction, one row per
RAW.csv row in order; RAW.csv is the raw test file (no header after SKIP_LINES lines, the model's schema order).
mlflow.pyfunc takes the raw rows (Beamline's python_function module applies transform.json); mlflow.xgboost
returns the bare booster, which takes the transformed features.
Prints one JSON line: rows, and the largest absolute difference of each loader from Beamline.
"""
import json
import os
import sys

import mlflow.artifacts
import mlflow.models
import mlflow.pyfunc
import mlflow.xgboost
import numpy as np
import pandas as pd
import xgboost as xgb

features_csv, raw_csv, skip_lines, runs_uri, models_uri = sys.argv[1:6]
frame = pd.read_csv(features_csv)
beamline = frame.pop("beamline_prediction").to_numpy(dtype=np.float64)
frame = frame.astype(np.float32)

local = mlflow.artifacts.download_artifacts(runs_uri)
with open(os.path.join(local, "transform.json"), encoding="utf-8") as f:
    schema = [c["name"] for c in json.load(f)["schema"]]
# Raw text, exactly as in the file: the model reads it as its training source did ("?" is missing, spaces cut).
raw = pd.read_csv(raw_csv, header=None, names=schema, skiprows=int(skip_lines), dtype=str, keep_default_na=False)

pyfunc = mlflow.pyfunc.load_model(runs_uri)
via_pyfunc = np.asarray(pyfunc.predict(raw), dtype=np.float64).reshape(-1)

booster = mlflow.xgboost.load_model(models_uri)
via_booster = booster.predict(xgb.DMatrix(frame, missing=np.nan)).astype(np.float64).reshape(-1)

# The model's own input example (MLmodel's saved_input_example_info): raw rows that load and score.
example = mlflow.models.Model.load(local).load_input_example(local)
example_predictions = pyfunc.predict(example)

print(json.dumps({
    "input_example_rows": int(len(example_predictions)),
    "rows": int(len(raw)),
    "columns": int(frame.shape[1]),
    "max_abs_diff_pyfunc": float(np.max(np.abs(via_pyfunc - beamline))),
    "max_abs_diff_xgboost": float(np.max(np.abs(via_booster - beamline))),
    "mlflow": mlflow.__version__,
    "xgboost": xgb.__version__,
}))
