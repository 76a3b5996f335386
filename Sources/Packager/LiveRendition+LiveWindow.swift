extension LiveRendition: LiveRenditionWindow {}
