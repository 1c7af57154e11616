"""培训 screen: the list of trainings with its totals, and the training dialog."""

from app.ui.trainings.trainings_page import TrainingsPage

__all__ = ["TrainingsPage"]
