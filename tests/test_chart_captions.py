"""What a chart says under itself about what its figures are over: a reader cites the caption."""

from __future__ import annotations

from gui_fixtures import make_window, wait_settled, window  # fixtures

from app.render.chart_picture import caption_lines


def test_each_chart_s_caption_gives_the_samples_its_own_figures_are_over(qtbot, window) -> None:
    """A review's finding: What matters most's caption claimed the comparison's "medians and 5–95 % bands of
    1,000 Monte Carlo samples" while its bars are medians of 200 samples with no bands (fails before)."""
    window.charts.bottom.setCurrentIndex(1)  # What matters most is computed once shown
    wait_settled(qtbot, window)
    samples = window.charts.inputs.samples
    for chart in (*window.charts.charts, window.charts.tornado):
        first = caption_lines(chart)[0]
        if chart.chart_id == "sensitivity":
            tornado = chart.inputs.tornado
            assert tornado is not None
            assert f"medians of {tornado.samples:,} samples: each input at either end of its range" in first
            assert "5–95 %" not in first and first.endswith("(seed 0)")
        else:
            assert first.endswith(f"medians and 5–95 % bands of {samples:,} Monte Carlo samples (seed 0)")
