// Codecs module.
