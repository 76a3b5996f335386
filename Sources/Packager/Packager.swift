// Packager module.
