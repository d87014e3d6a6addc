"""Scores a raw CSV file with mlflow.pyfunc (Beamline's python_function flavor takes raw columns).

Usage: pyfunc_predict.py MODEL_URI RAW.csv SKIP_LINES OUT.txt  (MLFLOW_TRACKING_URI names the server)
RAW.csv has no header after SKIP_LINES lines and the model's schema order; every cell is passed as text,
exactly as in the file. OUT.txt gets one line per row: the prediction's values, comma-separated.
"""
import json
import os
import sys

import mlflow.artifacts
import mlflow.pyfunc
import numpy as np
import pandas as pd

model_uri, raw_csv, skip_lines, out = sys.argv[1:5]
local = mlflow.artifacts.download_artifacts(model_uri)
with open(os.path.join(local, "transform.json"), encoding="utf-8") as f:
    schema = [c["name"] for c in json.load(f)["schema"]]
raw = pd.read_csv(raw_csv, header=None, names=schema, skiprows=int(skip_lines), dtype=str, keep_default_na=False)
predictions = np.asarray(mlflow.pyfunc.load_model(model_uri).predict(raw), dtype=np.float64)
with open(out, "w", encoding="utf-8") as f:
    for p in predictions.reshape(len(raw), -1):
        f.write(",".join(repr(float(v)) for v in p) + "\n")
print(json.dumps({"rows": int(len(raw))}))
