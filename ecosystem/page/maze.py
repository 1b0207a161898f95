"""The maze as the page draws it: walls, objects and every organism, seen from above.

`draw_world` builds the whole figure (for a script or a notebook);
`MazeDrawing` gives the same pixels as PNG bytes fast enough for every tick
of a played run, by drawing what stays put once per episode and only the
organisms over it (matplotlib's blitting). `cell_at` maps a click on the
drawing back to the maze cell under it. Everything here is matplotlib: the
page loads no plotting library from the web.
"""

import base64
import io
from collections import Counter

import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ecosystem.model import EcosystemModel
from ecosystem.organisms.agents import Animal, Plant
from ecosystem.organisms.episode import Episode
from ecosystem.page.experiments import Colouring, goals_of
from ecosystem.probes import ProbeAction
from ecosystem.world.constants import COLOUR_RGB, Kind

KIND_MARKERS = {Plant: "^", Animal: "o"}
WALL, FLOOR = (0.16, 0.17, 0.2), (0.96, 0.95, 0.92)
MODIFIED_EDGE = "black"


def draw_world(model: EcosystemModel, episode: Episode, selected: Animal | None, colouring: Colouring) -> Figure:
    """The maze from above: walls, objects, the corner, signposts put up by probes, every
    organism coloured by `colouring` (a black ring: modified at least once), one planned path.
    The whole figure at once, for a script or a notebook; the page draws the same pixels
    faster with `MazeDrawing`."""
    figure = draw_background(model, episode, selected, colouring)
    draw_organisms(figure.axes[0], model, episode, colouring)
    return figure


def draw_background(model: EcosystemModel, episode: Episode, selected: Animal | None, colouring: Colouring) -> Figure:
    """Everything `draw_world` draws but the organisms: what stays put during an episode."""
    figure = Figure(figsize=(6.4, 4.0), dpi=90)
    ax = figure.add_axes((0.01, 0.01, 0.55, 0.98))  # a fixed layout: clicks are mapped back through it
    world = episode.world
    size = world.layout.size
    ax.imshow(np.where(world.layout.open[..., None], FLOOR, WALL), interpolation="nearest")
    corner_row, corner_column = world.layout.coordinate(world.corner)
    ax.add_patch(_square(corner_row, corner_column, 1.0, edge="#8e44ad", style="--"))
    for obj in world.objects:
        row, column = world.layout.coordinate(obj.cell)
        if obj.kind is Kind.EXIT:
            ax.add_patch(_square(row, column, 0.9, face=COLOUR_RGB[obj.colour], edge="black"))
            ax.text(column, row, "EXIT", ha="center", va="center", fontsize=6, fontweight="bold", color="white")
        else:
            ax.plot(column, row, "o", markersize=11, color=COLOUR_RGB[obj.colour], markeredgecolor="black")
    for probe in model.probes if episode is model.current_episode else ():
        if probe.action == ProbeAction.SIGNPOST:
            row, column = world.layout.coordinate(probe.cell)
            ax.plot(column, row, marker="P", markersize=12, color="#f1c40f", markeredgecolor="black")
    if selected is not None:
        path = [world.layout.coordinate(c) for c in selected.plan_in(episode).path]
        ax.plot([c for _, c in path], [r for r, _ in path], "-", color="#f4a261", linewidth=3, alpha=0.8)
    ax.set_xlim(-0.5, size - 0.5)
    ax.set_ylim(size - 0.5, -0.5)
    ax.set_axis_off()
    ax.legend(handles=_world_legend(colouring), loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=6.5,
              frameon=False, title=colouring.title, title_fontsize=7)  # fmt: skip
    return figure


def draw_organisms(ax, model: EcosystemModel, episode: Episode, colouring: Colouring) -> list:
    """Every organism of `episode` where it stands, on `ax`: one marker per place, kind, label
    and modified-or-not, larger the more stand there. Returns the artists added."""
    goals = goals_of(model, episode)
    crowd = Counter((o.position_in(episode), type(o), colouring.label(model, episode, o, goals), o.modifications > 0)
                    for o in episode.organisms)  # fmt: skip
    size, artists = episode.world.layout.size, []
    scale = (13 / size) ** 2  # markers as large against a cell in every maze as in the 13 x 13 training one
    for kind, marker in KIND_MARKERS.items():
        groups = [(cell, label, modified, n) for (cell, k, label, modified), n in crowd.items() if k is kind]
        if not groups:
            continue
        rows, columns = np.divmod([cell for cell, *_ in groups], size)
        offset = -0.18 if kind is Plant else 0.18
        artists.append(ax.scatter(
            columns + offset, rows, marker=marker, s=[(5 + 3 * np.sqrt(n)) ** 2 * scale for *_, n in groups],
            c=[colouring.palette[label] for _, label, _, _ in groups],
            edgecolors=[MODIFIED_EDGE if modified else "white" for _, _, modified, _ in groups],
            linewidths=[2.0 if modified else 0.8 for _, _, modified, _ in groups], zorder=3))  # fmt: skip
    return artists


class MazeDrawing:
    """The maze as PNG bytes, fast enough to redraw at every tick.

    What stays put during an episode (`draw_background`) is drawn once per
    episode (a probe starts a new one), colouring and inspected animal and kept as pixels;
    each tick restores those pixels and draws only the organisms over them
    (matplotlib's blitting), instead of building the whole figure again.
    """

    def __init__(self):
        self._key = None
        self.figure: Figure | None = None  # the drawn figure, for mapping clicks (`cell_at`)

    def png(self, model: EcosystemModel, episode: Episode, selected: Animal | None, colouring: Colouring) -> bytes:
        key = (episode, None if selected is None else selected.unique_id, colouring.title)  # a probe makes a new episode
        if key != self._key:
            self.figure = draw_background(model, episode, selected, colouring)
            self._canvas = FigureCanvasAgg(self.figure)
            self._canvas.draw()
            self._background = self._canvas.copy_from_bbox(self.figure.bbox)
            self._key = key
        ax = self.figure.axes[0]
        self._canvas.restore_region(self._background)
        for artist in draw_organisms(ax, model, episode, colouring):
            ax.draw_artist(artist)
            artist.remove()
        width, height = self._canvas.get_width_height()
        image = PIL.Image.frombuffer("RGBA", (width, height), self._canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", compress_level=1)
        return buffer.getvalue()


def _square(row, column, side, face="none", edge="black", style="-"):
    half = side / 2
    return Rectangle((column - half, row - half), side, side, facecolor=face, edgecolor=edge, linestyle=style, linewidth=1.5)


def _world_legend(colouring: Colouring) -> list[Line2D]:
    kinds = [Line2D([], [], marker=m, linestyle="", color="#777777", label=f"{k.__name__.lower()}")
             for k, m in KIND_MARKERS.items()]  # fmt: skip
    labels = [Line2D([], [], marker="s", linestyle="", color=c, label=label) for label, c in colouring.palette.items()]
    modified = Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor=MODIFIED_EDGE,
                      markeredgewidth=2, label="modified at least once")  # fmt: skip
    corner = Line2D([], [], marker="s", linestyle="", markerfacecolor="none", markeredgecolor="#8e44ad",
                    label="the corner")  # fmt: skip
    path = Line2D([], [], color="#f4a261", linewidth=3, label="planned path")
    return [*kinds, *labels, modified, corner, path]


def cell_at(figure: Figure, x: float, y: float, size: int) -> int | None:
    """The flat maze cell under a click at (`x`, `y`), fractions of the figure's width and
    height from its top left; None outside the maze. `figure` must have been drawn (as
    `MazeDrawing` does): only drawing fits the maze's square into its axes."""
    width, height = figure.get_size_inches() * figure.dpi
    column, row = figure.axes[0].transData.inverted().transform((x * width, (1 - y) * height))
    row, column = int(round(row)), int(round(column))
    return row * size + column if 0 <= row < size and 0 <= column < size else None


def png_data_url(png: bytes) -> str:
    """PNG bytes as an inline image address."""
    return "data:image/png;base64," + base64.b64encode(png).decode()
