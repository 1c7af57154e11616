"""Field archive kit for reconstruction-project archives (雅安灾后重建项目档案现场工作包).

Everything in this package except ``app.ui`` runs without Qt.
"""

__version__ = "0.1.0"
