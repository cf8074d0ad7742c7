"""The 17 goals, 169 targets, their indicators and the U4SSC KPIs."""

from flask import Blueprint

bp = Blueprint("sdg", __name__)
