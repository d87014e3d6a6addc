"""What a scikit-learn user would fit for the example pipelines adult-logistic, adult-forest, adult-tree and
california-linear (benchmarks/models.sh runs each beside Beamline's): the same features (z-scores and one-hot
vocabularies, as benchmarks/pandas_adult.py builds them for adult; z-scores and one-hot ocean_proximity for
california, a missing total_bedrooms at its mean), the same training rows (every adult.data row; for california the
rows Beamline's run did not test on, read from its predictions/test.csv) and the same settings where the two
libraries have them. Prints one JSON line: the model, its test metric and the seconds of the whole program.

Usage: python sklearn_models.py adult-logistic|adult-forest|adult-tree DATASETS
       python sklearn_models.py california-linear DATASETS BEAMLINE_RUN_DIR
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import mean_squared_error, roc_auc_score
from sklearn.tree import DecisionTreeClassifier

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pandas_adult  # noqa: E402  the benchmark's own adult features

start = time.time()
model, datasets = sys.argv[1], sys.argv[2]
if model.startswith("adult-"):
    train = pandas_adult.read(os.path.join(datasets, "adult/adult.data"), 1)
    test = pandas_adult.read(os.path.join(datasets, "adult/adult.test"), 1)
    moments, vocabularies = pandas_adult.fit(train)
    x, y = pandas_adult.apply(train, moments, vocabularies)
    xt, yt = pandas_adult.apply(test, moments, vocabularies)
    estimator = {
        "adult-logistic": LogisticRegression(C=np.inf, max_iter=2000),  # no penalty
        "adult-forest": RandomForestClassifier(n_estimators=200, max_depth=14, max_features=0.33, max_samples=0.632,
                                               random_state=42, n_jobs=2),
        "adult-tree": DecisionTreeClassifier(max_depth=8, random_state=42),
    }[model]
    estimator.fit(x, y)
    result = {"model": model, "test_auc": roc_auc_score(yt, estimator.predict_proba(xt)[:, 1])}
else:
    frame = pd.read_csv(os.path.join(datasets, "california_housing/housing.csv"))
    frame.index = np.arange(2, len(frame) + 2)  # line numbers: the header is line 1
    tested = pd.read_csv(os.path.join(sys.argv[3], "predictions/test.csv"))["line"]
    is_test = frame.index.isin(tested)
    numeric = ["longitude", "latitude", "housing_median_age", "total_rooms", "total_bedrooms", "population", "households",
               "median_income"]
    tr = frame[~is_test]
    mean, std = tr[numeric].mean(), tr[numeric].std(ddof=0)
    categories = sorted(tr["ocean_proximity"].unique())

    def features(f):
        z = ((f[numeric] - mean) / std).fillna(0.0)
        onehot = pd.get_dummies(pd.Categorical(f["ocean_proximity"], categories=categories)).astype(float)
        return np.hstack([z.to_numpy(), onehot.to_numpy()])

    estimator = LinearRegression().fit(features(tr), tr["median_house_value"])
    te = frame[is_test]
    result = {"model": model, "test_rmse": float(np.sqrt(mean_squared_error(te["median_house_value"], estimator.predict(features(te))))),
              "test_rows": int(is_test.sum())}
result["seconds"] = round(time.time() - start, 2)
print(json.dumps(result))
