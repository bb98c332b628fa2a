"""Server-side SVG charts (no JavaScript library, nothing from a CDN): the
geometry of a monthly bar chart, this period's bars beside last year's."""

from dataclasses import dataclass

from reports.definitions import Series

HEIGHT = 160
BAR = 10
GAP = 6


@dataclass
class Bar:
    x: int
    label: str
    value: object
    previous: object
    height: int
    previous_height: int

    @property
    def y(self) -> int:
        return HEIGHT - self.height

    @property
    def previous_y(self) -> int:
        return HEIGHT - self.previous_height


def _height(value, tallest) -> int:
    """A bar's height; any sale shows, however small beside the tallest."""
    return max(1, int(value * HEIGHT / tallest)) if value > 0 else 0


def bar_chart(series: Series) -> dict:
    tallest = max([*series.values, *series.previous, 0]) or 1
    step = 2 * BAR + GAP
    bars = [
        Bar(
            x=i * step,
            label=f"{month:%m}",
            value=value,
            previous=previous,
            height=_height(value, tallest),
            previous_height=_height(previous, tallest),
        )
        for i, (month, value, previous) in enumerate(
            zip(series.months, series.values, series.previous, strict=True)
        )
    ]
    return {
        "series": series,
        "bars": bars,
        "width": max(len(bars) * step, step),
        "height": HEIGHT,
        "bar": BAR,
    }
