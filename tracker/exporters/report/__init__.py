"""The monthly report: its content and its DOCX, HTML and Markdown renderings."""
