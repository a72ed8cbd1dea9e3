"""The top of the house: commands that span the apps (`bluestone demo`, `link`, `link-force`, `synth`).

Nothing imports this package; it may import any app and the framework-free packages below it.
"""
