"""API routes of the assistants app."""

from rest_framework.routers import SimpleRouter

from assistants.api.fieldwork import (
    IncomeSurveyViewSet,
    TrainingSessionViewSet,
    VisitViewSet,
)
from assistants.api.views import AssignmentViewSet

router = SimpleRouter()
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("training-sessions", TrainingSessionViewSet, basename="training")
router.register("visits", VisitViewSet, basename="visit")
router.register("surveys", IncomeSurveyViewSet, basename="survey")
urlpatterns = router.urls
