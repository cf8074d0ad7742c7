"""The bare Flask app of the hello floor: what gunicorn and Flask cost with no work at all."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello"
