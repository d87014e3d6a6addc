"""Scores rows with a Beamline model through Python's mlflow and compares with Beamline's own predictions.

Usage: parity.py FEATURES.csv RUNS_URI MODELS_URI  (MLFLOW_TRACKING_URI names the server)
FEATURES.csv holds the model's input columns and a last column beamline_prediction.
Prints one JSON line: rows, and the largest absolute difference of each loader from Beamline.
"""
import json
import sys

import mlflow.artifacts
import mlflow.models
import mlflow.pyfunc
import mlflow.xgboost
import numpy as np
import pandas as pd
import xgboost as xgb

features_csv, runs_uri, models_uri = sys.argv[1:4]
frame = pd.read_csv(features_csv)
beamline = frame.pop("beamline_prediction").to_numpy(dtype=np.float64)
# The model's signature declares float32 columns (what XGBoost computes in); missing values are NaN.
frame = frame.astype(np.float32)

pyfunc = mlflow.pyfunc.load_model(runs_uri)
via_pyfunc = np.asarray(pyfunc.predict(frame), dtype=np.float64).reshape(-1)

booster = mlflow.xgboost.load_model(models_uri)
via_booster = booster.predict(xgb.DMatrix(frame, missing=np.nan)).astype(np.float64).reshape(-1)

# The model's own input example (MLmodel's saved_input_example_info) loads and scores too.
local = mlflow.artifacts.download_artifacts(runs_uri)
example = mlflow.models.Model.load(local).load_input_example(local)
example_predictions = pyfunc.predict(example.astype(np.float32))

print(json.dumps({
    "input_example_rows": int(len(example_predictions)),
    "rows": int(len(frame)),
    "columns": int(frame.shape[1]),
    "max_abs_diff_pyfunc": float(np.max(np.abs(via_pyfunc - beamline))),
    "max_abs_diff_xgboost": float(np.max(np.abs(via_booster - beamline))),
    "mlflow": mlflow.__version__,
    "xgboost": xgb.__version__,
}))
