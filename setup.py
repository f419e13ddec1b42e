"""Package discovery that pyproject.toml cannot express on its own.

`platform/` has no ``__init__.py`` on purpose: a package importable as ``platform`` from the
project root would shadow the standard-library module (and break ``uuid`` and Django). It
is installed as ``sigobito_platform`` instead (DESIGN.md §3); every other package keeps its
folder name.
"""

from setuptools import find_namespace_packages, find_packages, setup

APPS = ["tenants", "community", "ods_alignment", "cms", "search"]

packages = find_packages(include=[f"{app}*" for app in APPS])
packages += [
    "sigobito_platform" + name[len("platform") :]
    for name in find_namespace_packages(include=["platform", "platform.*"])
    if "__pycache__" not in name
]

setup(packages=packages, package_dir={"sigobito_platform": "platform"}, include_package_data=True)
