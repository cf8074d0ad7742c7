"""Follows: people follow organisations, projects, practices, SDG goals and targets."""

from flask import Blueprint

bp = Blueprint("follows", __name__)
