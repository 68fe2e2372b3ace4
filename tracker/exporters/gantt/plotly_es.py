"""Plotly's ``es`` locale, written out here so charts work offline (no CDN, no locale bundle).

Registered after plotly.js in the HTML export and in the page static images are rendered in
(``chromium.py``), it makes Plotly's own date formatting, number separators and tool-bar
tooltips Spanish.
The Gantt's month ticks do not depend on it (they are formatted by the exporter from the
translation catalog), so HTML and printed charts read the same either way.
"""

from __future__ import annotations

import json

NAME = "es"

DICTIONARY = {
    "Autoscale": "Autoescalar",
    "Box Select": "Seleccionar caja",
    "Click to enter Colorscale title": "Introducir el título de la escala de color",
    "Click to enter Component A title": "Introducir el título del componente A",
    "Click to enter Component B title": "Introducir el título del componente B",
    "Click to enter Component C title": "Introducir el título del componente C",
    "Click to enter Plot title": "Introducir el título de la gráfica",
    "Click to enter X axis title": "Introducir el título del eje X",
    "Click to enter Y axis title": "Introducir el título del eje Y",
    "Compare data on hover": "Comparar datos al pasar por encima",
    "Double-click on legend to isolate one trace": (
        "Doble clic en la leyenda para aislar una serie"
    ),
    "Double-click to zoom back out": "Doble clic para volver al zoom inicial",
    "Download plot": "Descargar gráfica",
    "Download plot as a png": "Descargar gráfica como png",
    "Edit in Chart Studio": "Editar en Chart Studio",
    "IE only supports svg.  Changing format to svg.": (
        "IE solo soporta svg. Cambiando el formato a svg."
    ),
    "Lasso Select": "Seleccionar con lazo",
    "Orbital rotation": "Rotación esférica",
    "Pan": "Desplazar",
    "Produced with Plotly.js": "Hecho con Plotly.js",
    "Reset": "Reiniciar",
    "Reset axes": "Reiniciar ejes",
    "Reset camera to default": "Restablecer la cámara",
    "Reset camera to last save": "Volver a la última cámara guardada",
    "Reset view": "Reiniciar la vista",
    "Reset views": "Reiniciar las vistas",
    "Show closest data on hover": "Mostrar el dato más cercano al pasar por encima",
    "Snapshot succeeded": "Captura realizada",
    "Sorry, there was a problem downloading your snapshot!": (
        "Hubo un problema al descargar la captura"
    ),
    "Taking snapshot - this may take a few seconds": (
        "Haciendo la captura; puede tardar unos segundos"
    ),
    "Toggle Spike Lines": "Mostrar u ocultar las líneas de guía",
    "Toggle show closest data on hover": (
        "Mostrar u ocultar el dato más cercano al pasar por encima"
    ),
    "Turntable rotation": "Rotación plana",
    "Zoom": "Zoom",
    "Zoom in": "Acercar",
    "Zoom out": "Alejar",
    "close:": "cierre:",
    "concentration:": "concentración:",
    "high:": "alto:",
    "incoming flow count:": "flujo de entrada:",
    "kde:": "kde:",
    "lat:": "lat:",
    "lon:": "lon:",
    "low:": "bajo:",
    "lower fence:": "límite inferior:",
    "max:": "máx.:",
    "mean ± σ:": "media ± σ:",
    "mean:": "media:",
    "median:": "mediana:",
    "min:": "mín.:",
    "new text": "texto nuevo",
    "open:": "apertura:",
    "q1:": "q1:",
    "q3:": "q3:",
    "source:": "origen:",
    "target:": "destino:",
    "trace": "serie",
    "upper fence:": "límite superior:",
}

FORMAT = {
    "days": ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"],
    "shortDays": ["dom", "lun", "mar", "mié", "jue", "vie", "sáb"],
    "months": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "shortMonths": [
        "ene",
        "feb",
        "mar",
        "abr",
        "may",
        "jun",
        "jul",
        "ago",
        "sep",
        "oct",
        "nov",
        "dic",
    ],
    "date": "%d/%m/%Y",
    "decimal": ",",
    "thousands": ".",
}


def locale_script(*, make_default: bool = True) -> str:
    """JavaScript registering the locale with a loaded plotly.js (and, by default, making it
    the default of every plot drawn afterwards: a static render passes no ``config.locale``)."""
    spec = {"moduleType": "locale", "name": NAME, "dictionary": DICTIONARY, "format": FORMAT}
    # ensure_ascii keeps the script pure ASCII: right whatever charset the page is read in.
    script = f"Plotly.register({json.dumps(spec, ensure_ascii=True)});"
    if make_default:
        script += f"Plotly.setPlotConfig({{locale: {json.dumps(NAME)}}});"
    return script
