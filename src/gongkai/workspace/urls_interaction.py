"""Staff addresses of 政民互动 (mounted at /workspace/interaction/, namespace "ws_interaction")."""

from django.urls import URLPattern, URLResolver, path

from . import views_interaction as views

app_name = "ws_interaction"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.inbox, name="inbox"),
    path("settings/", views.mailbox_settings, name="settings"),
    path("letters/<int:pk>/", views.letter_detail, name="letter"),
    path("letters/<int:pk>/assign/", views.letter_assign, name="letter_assign"),
    path("letters/<int:pk>/reply/", views.letter_reply, name="letter_reply"),
    path("letters/<int:pk>/consent/", views.letter_consent, name="letter_consent"),
    path("letters/<int:pk>/publish/", views.letter_publish, name="letter_publish"),
    path("letters/<int:pk>/unpublish/", views.letter_unpublish, name="letter_unpublish"),
    path("letters/<int:pk>/merge/", views.letter_merge, name="letter_merge"),
    path("letters/<int:pk>/close/", views.letter_close, name="letter_close"),
    path("consultations/", views.consultation_list, name="consultations"),
    path("consultations/new/", views.consultation_create, name="consultation_create"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/edit/", views.consultation_edit, name="consultation_edit"),
    path("consultations/<int:pk>/open/", views.consultation_open, name="consultation_open"),
    path("consultations/<int:pk>/close/", views.consultation_close, name="consultation_close"),
    path("consultations/<int:pk>/comments/<int:comment_pk>/", views.comment_moderate, name="comment_moderate"),
    path("consultations/<int:pk>/feedback/", views.feedback_save, name="feedback_save"),
    path("consultations/<int:pk>/feedback/entries/", views.feedback_entry_add, name="feedback_entry_add"),
    path("consultations/<int:pk>/feedback/entries/<int:entry_pk>/delete/", views.feedback_entry_remove,
         name="feedback_entry_remove"),
]
