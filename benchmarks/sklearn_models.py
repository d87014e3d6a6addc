"""What a scikit-learn user would fit for the example pipelines adult-logistic, adult-forest, adult-tree,
california-linear and breast-cancer-kmeans (benchmarks/models.sh runs each beside Beamline's): the same features
(z-scores and one-hot vocabularies, as benchmarks/pandas_adult.py builds them for adult; z-scores and one-hot
ocean_proximity for california, a missing total_bedrooms at its mean; z-scores of the 30 measurements for breast
cancer), the same training rows (every adult.data row; for california and breast cancer the rows Beamline's run did
not test on, read from its predictions/test.csv) and the same settings where the two libraries have them. Prints one
JSON line: the model, its test metric and the seconds of the whole program; for k-means the inertia, silhouette and
adjusted Rand index (against the diagnosis) of both splits, and how far its test clusters agree with Beamline's.

Usage: python sklearn_models.py adult-logistic|adult-forest|adult-tree DATASETS
       python sklearn_models.py california-linear|breast-cancer-kmeans DATASETS BEAMLINE_RUN_DIR
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, mean_squared_error, roc_auc_score, silhouette_score
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
elif model == "breast-cancer-kmeans":
    frame = pd.read_csv(os.path.join(datasets, "breast_cancer_wisconsin/breast_cancer.csv"), header=None, skiprows=1)
    frame.index = np.arange(2, len(frame) + 2)  # line numbers: the count line is line 1
    beamline = pd.read_csv(os.path.join(sys.argv[3], "predictions/test.csv")).set_index("line")
    is_test = frame.index.isin(beamline.index)
    x_all, diagnosis = frame.iloc[:, :30], frame.iloc[:, 30]
    tr, te = x_all[~is_test], x_all[is_test]
    mean, std = tr.mean(), tr.std(ddof=0)
    x, xt = ((tr - mean) / std).to_numpy(), ((te - mean) / std).to_numpy()
    kmeans = KMeans(n_clusters=2, n_init=1, random_state=42).fit(x)
    clusters, test_clusters = kmeans.labels_, kmeans.predict(xt)
    result = {"model": model, "k": 2,
              "train": {"inertia": float(kmeans.inertia_), "silhouette": float(silhouette_score(x, clusters)),
                        "ari": float(adjusted_rand_score(diagnosis[~is_test], clusters)), "rows": int((~is_test).sum())},
              "test": {"inertia": float(-kmeans.score(xt)), "silhouette": float(silhouette_score(xt, test_clusters)),
                       "ari": float(adjusted_rand_score(diagnosis[is_test], test_clusters)), "rows": int(is_test.sum())},
              # 1.0: the two libraries put the test rows into the same two groups (whatever they number them)
              "agreement_ari": float(adjusted_rand_score(beamline.loc[frame.index[is_test], "cluster"], test_clusters)),
              "iterations": int(kmeans.n_iter_)}
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
