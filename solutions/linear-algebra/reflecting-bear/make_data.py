"""Write bear.json: our own bear drawing as polygons (2 x K vertex arrays), fixed seed.

Run from the repository root: python solutions/linear-algebra/reflecting-bear/make_data.py
"""

import json
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[3] / "assignments/linear-algebra/reflecting-bear/bear.json"

# Where the bear's face sits in the plane, and how big it is: away from the origin, so that
# its reflection in a mirror through the origin lands somewhere else.
CENTRE = np.array([3.2, 0.9])
SCALE = 1.0


def ellipse(cx, cy, rx, ry, k, rng, wobble=0.012):
    """K points on an ellipse, with a small hand-drawn wobble in the radius."""
    t = np.linspace(0.0, 2.0 * np.pi, k, endpoint=False)
    r = 1.0 + wobble * rng.standard_normal(k)
    return np.vstack([cx + rx * r * np.cos(t), cy + ry * r * np.sin(t)])


def arc(cx, cy, rx, ry, t0, t1, k):
    """An open curve: part of an ellipse from angle t0 to angle t1."""
    t = np.linspace(t0, t1, k)
    return np.vstack([cx + rx * np.cos(t), cy + ry * np.sin(t)])


def bow(cx, cy, w, h):
    """Two triangles that meet at (cx, cy): a bow, drawn as one polygon."""
    xs = [cx, cx - w, cx - w, cx, cx + w, cx + w]
    ys = [cy, cy + h, cy - h, cy, cy - h, cy + h]
    return np.array([xs, ys])


def main():
    rng = np.random.default_rng(2024)
    parts = [
        # name, fill colour, closed?, points in face coordinates (head centre at 0, radius ~1)
        ("left ear", "#8b5a2b", True, ellipse(-0.72, 0.74, 0.36, 0.36, 20, rng)),
        ("right ear", "#8b5a2b", True, ellipse(0.72, 0.74, 0.36, 0.36, 20, rng)),
        ("left inner ear", "#e0a872", True, ellipse(-0.70, 0.72, 0.18, 0.18, 12, rng)),
        ("right inner ear", "#e0a872", True, ellipse(0.70, 0.72, 0.18, 0.18, 12, rng)),
        ("head", "#a0522d", True, ellipse(0.0, 0.0, 1.05, 0.95, 40, rng)),
        ("snout", "#f1c27d", True, ellipse(0.0, -0.38, 0.46, 0.32, 24, rng)),
        ("nose", "#2b1a10", True, np.array([[-0.16, 0.16, 0.0], [-0.22, -0.22, -0.36]])),
        ("mouth", "#2b1a10", False, arc(0.0, -0.36, 0.2, 0.14, -0.1 * np.pi, -0.9 * np.pi, 9)),
        ("open eye", "#2b1a10", True, ellipse(-0.38, 0.22, 0.1, 0.12, 12, rng, wobble=0.0)),
        # The bear winks with its right eye and wears a bow on its left ear: a face that is
        # not left-right symmetric, so a reflection cannot pass for a rotation.
        (
            "winking eye",
            "#2b1a10",
            False,
            arc(0.38, 0.26, 0.12, 0.08, -0.95 * np.pi, -0.05 * np.pi, 9),
        ),
        ("bow", "#d62d6e", True, bow(-0.9, 1.12, 0.26, 0.14)),
        ("knot", "#a3154d", True, ellipse(-0.9, 1.12, 0.06, 0.06, 8, rng, wobble=0.0)),
    ]
    out = {
        "description": "A winking bear with a bow, drawn for this course by make_data.py "
        "(seed 2024). Each part is a polygon or an open curve given as 2 x K vertices.",
        "parts": [],
    }
    for name, colour, closed, pts in parts:
        world = CENTRE[:, None] + SCALE * pts
        out["parts"].append(
            {
                "name": name,
                "colour": colour,
                "closed": closed,
                "points": np.round(world, 3).tolist(),
            }
        )
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
