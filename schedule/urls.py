from django.urls import path

from schedule import public_views, views

app_name = "schedule"
urlpatterns = [
    # Public (after publishing; chairs preview before).
    path("", public_views.TimetableView.as_view(), name="timetable"),
    path("rooms/", public_views.TimetableView.as_view(by_room=True), name="by-room"),
    path("print/", public_views.PrintView.as_view(), name="print"),
    path("programme.json", public_views.ScheduleJsonView.as_view(), name="json"),
    path("programme.ics", public_views.DayCalendarView.as_view(), name="ics"),
    path(
        "papers/<int:number>/slides.pdf",
        public_views.PresentationFileView.as_view(kind="slides"),
        name="slides",
    ),
    path(
        "papers/<int:number>/poster.pdf",
        public_views.PresentationFileView.as_view(kind="poster"),
        name="poster",
    ),
    # Chairs.
    path("chair/", views.EditorView.as_view(), name="edit"),
    path("chair/settings/", views.ScheduleSettingsView.as_view(), name="settings"),
    path("chair/fill-orals/", views.FillOralsView.as_view(), name="fill-orals"),
    path("chair/boards/", views.PosterBoardsView.as_view(), name="boards"),
    path("chair/publish/", views.PublishView.as_view(), name="publish"),
    path("chair/sessions/new/", views.SessionEditView.as_view(), name="session-new"),
    path(
        "chair/sessions/<int:pk>/", views.SessionEditView.as_view(), name="session-edit"
    ),
    path(
        "chair/sessions/<int:pk>/delete/",
        views.SessionDeleteView.as_view(),
        name="session-delete",
    ),
    path(
        "chair/sessions/<int:pk>/items/new/",
        views.ItemEditView.as_view(),
        name="item-new",
    ),
    path("chair/items/<slug:code>/", views.ItemEditView.as_view(), name="item-edit"),
    path(
        "chair/items/<slug:code>/move/", views.ItemMoveView.as_view(), name="item-move"
    ),
    path(
        "chair/items/<slug:code>/delete/",
        views.ItemDeleteView.as_view(),
        name="item-delete",
    ),
    # Last: an item code never collides with the words above.
    path("<slug:code>.ics", public_views.ItemCalendarView.as_view(), name="item-ics"),
    path("<slug:code>/photo", public_views.PhotoView.as_view(), name="photo"),
    path("<slug:code>/", public_views.ItemView.as_view(), name="item"),
]
