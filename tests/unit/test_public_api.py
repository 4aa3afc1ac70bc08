import newsrights


def test_exported_names_are_the_curated_surface():
    assert sorted(newsrights.__all__) == sorted(
        ["Article", "Finding", "NewsrightsError", "Ownership", "Rejected", "Span", "__version__"]
    )
    for name in newsrights.__all__:
        assert hasattr(newsrights, name), name


def test_cli_help_lists_commands():
    from typer.testing import CliRunner

    from newsrights.cli.main import app

    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "newsrights" in result.output.lower() or "Usage" in result.output
