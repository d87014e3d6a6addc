"""Beamline's python_function flavor: raw columns in, predictions out.

MLflow loads this module from the model's code/ directory (MLmodel: flavors.python_function.loader_module).
It reads the model directory's transform.json (the fitted feature transform), source.json (how the
training source read text: missing-value markers, trimming) and the booster, and applies them in the same
order and arithmetic as Beamline's Java scoring library, so that

    mlflow.pyfunc.load_model("models:/NAME@ALIAS").predict(raw_dataframe)

and `mlflow models serve` take the same raw rows as `beamline serve` and give the same predictions.
The output is what mlflow.xgboost's pyfunc gives: the probability of class 1 (binary), one column per class
(multi-class) or the value (regression); for a k-means model (clustering) two columns, the cluster and the
squared distance to its centre, as Beamline's own scoring gives them.

The model file is read by the scorer of its trainer's flavor (trainer.json): XGBoost's boosters (the xgboost,
linear, random-forest and decision-tree trainers) and k-means centres. A model of another trainer plugin
loads in Beamline's scoring and server, not here: this module says so when it is loaded.
"""
import json
import math
import os

import numpy as np
import pandas as pd

_DEFAULT_MISSING = ("", "NA", "?")
_MASK64 = (1 << 64) - 1


def _load_pyfunc(path):
    return BeamlineModel(path if os.path.isdir(path) else os.path.dirname(path))


def _bad_input(message):
    try:
        from mlflow.exceptions import MlflowException
        from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

        return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)
    except ImportError:  # used without mlflow
        return ValueError(message)


class _Cells:
    """Reads text cells as the training source did."""

    def __init__(self, settings):
        self.missing = set(str(v) for v in settings.get("missingValues", _DEFAULT_MISSING))
        self.trim = bool(settings.get("trim", False))
        # Per column, values read as others (after trimming; None: missing), as the source's "replace" says.
        self.replace = {str(c): {str(k): (None if v is None else str(v)) for k, v in (m or {}).items()}
                        for c, m in (settings.get("replace") or {}).items()}

    def text(self, column, raw):
        s = raw.strip() if self.trim else raw
        r = self.replace.get(column)
        if r is not None and s in r:
            s = r[s]
        return None if s is None or s in self.missing else s


def _is_missing(v):
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


class _XGBoostScorer:
    """An XGBoost booster (UBJ), as Beamline's xgboost-based trainers write it."""

    def __init__(self, path):
        import xgboost

        self.booster = xgboost.Booster()
        self.booster.load_model(path)
        # A tree booster predicts in place; a linear one (gblinear) only through a DMatrix.
        self.inplace = json.loads(self.booster.save_config())["learner"]["gradient_booster"]["name"] != "gblinear"

    def empty(self):
        return np.zeros((0,), dtype=np.float32)

    def predict(self, features):
        if self.inplace:
            return self.booster.inplace_predict(features, missing=np.nan)
        import xgboost

        return self.booster.predict(xgboost.DMatrix(features, missing=np.nan))


class _KMeansScorer:
    """k-means centres (model.json): each row's nearest centre and the squared distance to it, a missing
    feature left out of the distance, ties to the lower cluster, as Beamline's k-means predictor does."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            model = json.load(f)
        if model.get("format") != "beamline-kmeans":
            raise ValueError("%s is not a k-means model (format %s)" % (path, model.get("format")))
        self.centres = np.asarray(model["centres"], dtype=np.float64)

    def empty(self):
        return np.zeros((0, 2), dtype=np.float32)

    def predict(self, features):
        x = features.astype(np.float64)
        d = x[:, None, :] - self.centres[None, :, :]
        squared = np.where(np.isnan(d), 0.0, d * d).sum(axis=2)
        cluster = np.argmin(squared, axis=1)
        out = np.empty((x.shape[0], 2), dtype=np.float32)
        out[:, 0] = cluster
        out[:, 1] = squared[np.arange(x.shape[0]), cluster]
        return out


_SCORERS = {"xgboost": _XGBoostScorer, "kmeans": _KMeansScorer}


class BeamlineModel:
    def __init__(self, model_dir):
        with open(os.path.join(model_dir, "transform.json"), encoding="utf-8") as f:
            self.transform = json.load(f)
        settings = {}
        source_file = os.path.join(model_dir, "source.json")
        if os.path.exists(source_file):
            with open(source_file, encoding="utf-8") as f:
                settings = json.load(f).get("settings", {})
        self.cells = _Cells(settings)
        with open(os.path.join(model_dir, "trainer.json"), encoding="utf-8") as f:
            trainer = json.load(f)
        scorer = _SCORERS.get(trainer.get("flavor", "xgboost"))
        if scorer is None:
            raise ValueError("this model's trainer '%s' (flavor %s) has no Python scorer in Beamline's module; score it "
                             "with beamline predict or beamline serve" % (trainer.get("id"), trainer.get("flavor")))
        self.scorer = scorer(os.path.join(model_dir, trainer["file"]))
        self.types = {c["name"]: c for c in self.transform["schema"]}
        self.feature_names = self.transform["featureNames"]

    def predict(self, model_input, params=None):
        if isinstance(model_input, dict):
            model_input = pd.DataFrame(model_input)
        elif isinstance(model_input, list):
            model_input = pd.DataFrame.from_records(model_input)
        if not isinstance(model_input, pd.DataFrame):
            raise _bad_input("give a pandas DataFrame of the model's raw columns, not %s" % type(model_input).__name__)
        features = self.features(model_input)
        if features.shape[0] == 0:
            return self.scorer.empty()
        return self.scorer.predict(features)

    def features(self, df):
        """The model's input matrix (float32) for raw rows: transform.json applied column by column."""
        n = len(df)
        columns = []
        for chain in self.transform["features"]:
            name = chain["column"]
            if name not in df.columns:
                raise _bad_input("the input has no column '%s' (the model reads %s)"
                                 % (name, [c["column"] for c in self.transform["features"]]))
            kind = self.types[name]["type"]
            if kind == "numeric":
                value = self._numbers(name, df[name])
            elif kind == "categorical":
                value = self._texts(name, df[name])
            else:
                value = self._sparse(name, df[name], self.types[name].get("dimension", 0))
            vtype = kind
            for step in chain["steps"]:
                value, vtype = self._step(step, value, vtype, columns, n)
            if vtype == "numeric":
                columns.append(value)
            elif vtype == "sparse":
                columns.extend(value.T)
            elif vtype == "categorical":
                raise _bad_input("column '%s' is text after its steps" % name)
        if len(columns) != len(self.feature_names):
            raise _bad_input("transform.json gave %d features, the model has %d" % (len(columns), len(self.feature_names)))
        if not columns:
            return np.zeros((n, 0), dtype=np.float32)
        return np.column_stack([np.asarray(c, dtype=np.float64) for c in columns]).astype(np.float32)

    def _numbers(self, name, series):
        if series.dtype.kind in "iuf":
            return series.to_numpy(dtype=np.float64, na_value=np.nan)
        text = self._as_text(name, series)
        if text is not None:
            # Text cells (a CSV file, a JSON body of strings): read as the training source did, all at once.
            numbers = pd.to_numeric(text.str.strip(), errors="coerce")
            bad = numbers.isna() & text.notna()
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                raise _bad_input("row %d: column '%s': wrong_type: '%s' is not a number" % (i, name, series.iloc[i]))
            return numbers.to_numpy(dtype=np.float64, na_value=np.nan)
        out = np.empty(len(series), dtype=np.float64)
        for i, v in enumerate(series.tolist()):
            if isinstance(v, bool) or isinstance(v, np.bool_):
                raise _bad_input("row %d: column '%s': wrong_type: boolean %s is not a number" % (i, name, v))
            if _is_missing(v):
                out[i] = np.nan
            elif isinstance(v, (int, float, np.integer, np.floating)):
                out[i] = float(v)
            elif isinstance(v, str):
                t = self.cells.text(name, v)
                try:
                    out[i] = np.nan if t is None else float(t.strip())
                except ValueError:
                    raise _bad_input("row %d: column '%s': wrong_type: '%s' is not a number" % (i, name, v)) from None
            else:
                raise _bad_input("row %d: column '%s': wrong_type: %r is not a number" % (i, name, v))
        return out

    def _as_text(self, name, series):
        """A column of text (or missing) cells as pandas strings, read as the training source did (trimmed when it
        trimmed, its missing-value markers missing); None when the column holds anything but text."""
        if not isinstance(series.dtype, pd.StringDtype):
            if series.dtype != object or not all(isinstance(v, str) for v in series.dropna().tolist()):
                return None
            series = series.astype(pd.StringDtype())
        if self.cells.trim:
            series = series.str.strip()
        r = self.cells.replace.get(name)
        if r:
            present = series.isin(list(r.keys()))
            series = series.mask(present, series.map(r).astype(pd.StringDtype()))
        return series.mask(series.isin(self.cells.missing))

    def _texts(self, name, series):
        text = self._as_text(name, series)
        if text is not None:
            return text
        out = []
        for i, v in enumerate(series.tolist()):
            if isinstance(v, bool) or isinstance(v, np.bool_):
                raise _bad_input("row %d: column '%s': wrong_type: boolean %s is not a category (text)" % (i, name, v))
            if _is_missing(v):
                out.append(None)
            elif isinstance(v, str):
                out.append(self.cells.text(name, v))
            elif isinstance(v, (int, np.integer)):
                out.append(str(int(v)))
            elif isinstance(v, (float, np.floating)):
                out.append(repr(float(v)))
            else:
                raise _bad_input("row %d: column '%s': wrong_type: %r is not a category (text)" % (i, name, v))
        return pd.Series(out, index=series.index, dtype=pd.StringDtype())

    def _sparse(self, name, series, dimension):
        out = np.full((len(series), dimension), np.nan, dtype=np.float64)
        for i, v in enumerate(series.tolist()):
            if isinstance(v, dict):
                for k, x in zip(v.get("indices", []), v.get("values", [])):
                    if 0 <= int(k) < dimension:
                        out[i, int(k)] = np.float32(x)
            elif isinstance(v, (list, tuple, np.ndarray)) and len(v) == dimension:
                out[i, :] = [np.nan if _is_missing(x) else np.float32(x) for x in v]
            elif not _is_missing(v):
                raise _bad_input("row %d: column '%s': wrong_type: not a sparse vector" % (i, name))
        return out

    def _step(self, step, value, vtype, columns, n):
        """Applies one fitted step; appends the features it writes itself to columns; returns (value, type)."""
        kind, config, state = step["type"], step.get("config", {}), step.get("state", {})
        if kind == "zscore":
            mean, std = state["mean"], state["std"]
            return (value - mean) / std if std > 0 else np.where(np.isnan(value), np.nan, 0.0), "numeric"
        if kind == "minmax":
            lo, hi = state["min"], state["max"]
            if not hi > lo:
                return np.where(np.isnan(value), np.nan, 0.0), "numeric"
            y = (value - lo) / (hi - lo)
            return (np.where(np.isnan(y), np.nan, np.clip(y, 0.0, 1.0)) if config.get("clip", False) else y), "numeric"
        if kind == "log1p":
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.where(value <= -1, np.nan, np.log1p(np.where(value <= -1, 0.0, value))), "numeric"
        if kind == "bucketize":
            b = np.asarray(state["boundaries"], dtype=np.float64)
            idx = np.searchsorted(b, value, side="right").astype(np.float64)
            return np.where(np.isnan(value), np.nan, idx), "numeric"
        if kind == "impute":
            fill = state.get("value", config.get("value"))
            if vtype == "numeric":
                missing = np.isnan(value)
                filled = np.where(missing, np.nan if fill is None else float(fill), value)
            else:
                missing = value.isna().to_numpy()
                filled = value if fill is None else value.fillna(str(fill))
            if config.get("indicator", False):
                columns.append(missing.astype(np.float64))
            return filled, vtype
        if kind == "vocabulary":
            terms = state["terms"]
            index = {t: i for i, t in enumerate(terms)}
            positions = value.map(index).to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
            positions[np.isnan(positions) & value.notna().to_numpy()] = len(terms)  # out of vocabulary
            return self._encode(positions, len(terms) + 1, config.get("encoding", "onehot") == "onehot", columns, n)
        if kind == "hash":
            buckets = int(config["buckets"])
            positions = np.array([np.nan if v is None or v is pd.NA else float(_fnv1a(v) % buckets) for v in value.tolist()],
                                 dtype=np.float64)
            return self._encode(positions, buckets, config.get("encoding", "index") == "onehot", columns, n)
        raise _bad_input("feature step '%s' is not known to this Python module; score this model with Beamline" % kind)

    @staticmethod
    def _encode(positions, width, onehot, columns, n):
        """Positions (NaN = missing) as one-hot columns (a missing value: all zeros) or as the index itself."""
        if not onehot:
            return positions, "numeric"
        matrix = np.zeros((n, width), dtype=np.float64)
        rows = np.flatnonzero(~np.isnan(positions))
        matrix[rows, positions[rows].astype(np.int64)] = 1.0
        columns.extend(matrix.T)
        return None, "encoded"


def _fnv1a(text):
    h = 0xCBF29CE484222325
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001B3) & _MASK64
    return h


if __name__ == "__main__":  # python beamline_pyfunc.py MODEL_DIR < rows.json: a quick check without mlflow
    import sys

    model = BeamlineModel(sys.argv[1])
    body = json.load(sys.stdin)
    frame = pd.DataFrame(body["dataframe_split"]["data"], columns=body["dataframe_split"]["columns"])
    print(json.dumps({"predictions": np.asarray(model.predict(frame)).tolist()}))
