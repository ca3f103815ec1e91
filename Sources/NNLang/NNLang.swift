// The language lives here.
