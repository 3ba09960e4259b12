from citylens.cli import app

app()
