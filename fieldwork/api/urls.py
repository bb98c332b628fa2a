"""API routes of the field work."""

from rest_framework.routers import SimpleRouter

from fieldwork.api.views import (
    IncomeSurveyViewSet,
    TrainingSessionViewSet,
    VisitViewSet,
)

router = SimpleRouter()
router.register("training-sessions", TrainingSessionViewSet, basename="training")
router.register("visits", VisitViewSet, basename="visit")
router.register("surveys", IncomeSurveyViewSet, basename="survey")
urlpatterns = router.urls
