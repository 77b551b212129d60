"""Private storage and the random file names uploads are stored under."""

import secrets

from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.deconstruct import deconstructible

MB = 1024 * 1024


@deconstructible(path="submissions.models.PrivateStorage")
class PrivateStorage(Storage):
    """`storages["private"]`, looked up at each call rather than at import.

    A FileField evaluates its storage once, when the model class is built; forwarding
    lets settings (S3 in production, a temporary folder in tests) choose the backend.
    """

    @property
    def _backend(self) -> Storage:
        return storages["private"]

    def open(self, name, mode="rb"):
        return self._backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self._backend.save(name, content, max_length=max_length)

    def get_valid_name(self, name):
        return self._backend.get_valid_name(name)

    def get_available_name(self, name, max_length=None):
        return self._backend.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self._backend.generate_filename(filename)

    def path(self, name):
        return self._backend.path(name)

    def delete(self, name):
        return self._backend.delete(name)

    def exists(self, name):
        return self._backend.exists(name)

    def listdir(self, path):
        return self._backend.listdir(path)

    def size(self, name):
        return self._backend.size(name)

    def get_modified_time(self, name):
        return self._backend.get_modified_time(name)

    def url(self, name):
        raise NotImplementedError("Private files have no URL; use a download view.")


private_storage = PrivateStorage()


def random_name(folder: str, extension: str) -> str:
    """A name that reveals nothing: not the title, the authors or the number."""
    return f"{folder}/{secrets.token_hex(16)}.{extension}"


def original_path(instance: models.Model, filename: str) -> str:
    return random_name("papers", "pdf")


def reviewer_copy_path(instance: models.Model, filename: str) -> str:
    return random_name("reviewer-copies", "pdf")


def supplementary_path(instance: models.Model, filename: str) -> str:
    extension = "zip" if filename.lower().endswith(".zip") else "pdf"
    return random_name("supplementary", extension)
