/// A grid of terminal cells to draw on: dots (braille, 2×4 to a cell, or one ASCII mark per
/// cell), a fill behind them, and glyphs on top, each with an optional 256-colour.
///
/// Pixel coordinates start at the top left. Cells render in order glyph, dots, fill, space.
struct BrailleCanvas {
    let columns: Int
    let rows: Int
    let charset: Charset

    private var dots: [UInt8]
    /// The series that set a cell's latest dot: its colour and, in ASCII, its mark.
    private var dotSeries: [Int]
    private var glyphs: [Character?]
    private var glyphColours: [Int?]
    private var fills: [Character?]
    private var fillColours: [Int?]

    init(columns: Int, rows: Int, charset: Charset) {
        self.columns = max(1, columns)
        self.rows = max(1, rows)
        self.charset = charset
        let count = self.columns * self.rows
        dots = Array(repeating: 0, count: count)
        dotSeries = Array(repeating: 0, count: count)
        glyphs = Array(repeating: nil, count: count)
        glyphColours = Array(repeating: nil, count: count)
        fills = Array(repeating: nil, count: count)
        fillColours = Array(repeating: nil, count: count)
    }

    /// Dots across: two per cell in braille, one in ASCII.
    var pixelWidth: Int { columns * (charset == .unicode ? 2 : 1) }
    /// Dots down: four per cell in braille, one in ASCII.
    var pixelHeight: Int { rows * (charset == .unicode ? 4 : 1) }

    /// The marks ASCII draws series with, in order.
    static let asciiSeriesMarks: [Character] = ["*", "o", "x", "#", "%", "@"]
    /// Series colours: blue, orange, green, magenta, red, teal (xterm 256-colour numbers).
    static let seriesColours = [33, 208, 34, 163, 160, 37]

    // MARK: - Drawing

    /// Sets the dot at pixel (x, y) for `series`; dots outside the canvas are ignored.
    mutating func setDot(x: Int, y: Int, series: Int) {
        guard x >= 0, y >= 0, x < pixelWidth, y < pixelHeight else { return }
        let cell: Int
        var bit: UInt8 = 1
        if charset == .unicode {
            cell = (y / 4) * columns + x / 2
            // Braille dot numbering: 1 2 3 7 down the left column, 4 5 6 8 down the right.
            let left: [UInt8] = [0x01, 0x02, 0x04, 0x40]
            let right: [UInt8] = [0x08, 0x10, 0x20, 0x80]
            bit = x % 2 == 0 ? left[y % 4] : right[y % 4]
        } else {
            cell = y * columns + x
        }
        dots[cell] |= bit
        dotSeries[cell] = series
    }

    /// A straight line of dots from one pixel to another (Bresenham). A dotted line sets
    /// two dots of every three, so that curves are told apart without colour.
    mutating func drawLine(from start: (x: Int, y: Int), to end: (x: Int, y: Int), series: Int, dotted: Bool = false, phase: inout Int) {
        var (x, y) = start
        let dx = abs(end.x - x)
        let dy = -abs(end.y - y)
        let stepX = x < end.x ? 1 : -1
        let stepY = y < end.y ? 1 : -1
        var error = dx + dy
        // Bounded: a line never has more points than its longer side.
        for _ in 0...(max(dx, -dy) + 1) {
            if !dotted || phase % 3 != 2 { setDot(x: x, y: y, series: series) }
            phase += 1
            if x == end.x && y == end.y { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += stepX }
            if doubled <= dx { error += dx; y += stepY }
        }
    }

    /// A series' pixels joined by lines, broken at each nil (a point that is not finite);
    /// without colour, every other series `dotted`, as the legend shows.
    mutating func drawSeries(_ pixels: [(x: Int, y: Int)?], series: Int, dotted: Bool) {
        var phase = 0
        var previous: (x: Int, y: Int)?
        for pixel in pixels {
            guard let pixel else { previous = nil; continue }
            drawLine(from: previous ?? pixel, to: pixel, series: series, dotted: dotted, phase: &phase)
            previous = pixel
        }
    }

    /// Puts `glyph` in a cell, over any dots or fill.
    mutating func setGlyph(column: Int, row: Int, _ glyph: Character, colour: Int? = nil) {
        guard column >= 0, row >= 0, column < columns, row < rows else { return }
        glyphs[row * columns + column] = glyph
        glyphColours[row * columns + column] = colour
    }

    /// Fills a cell behind its dots: `glyph` without colour, `colour` as its background.
    mutating func setFill(column: Int, row: Int, _ glyph: Character, colour: Int? = nil) {
        guard column >= 0, row >= 0, column < columns, row < rows else { return }
        fills[row * columns + column] = glyph
        fillColours[row * columns + column] = colour
    }

    // MARK: - Rendering

    /// One row of cells as text. With colour on, a filled cell shows its colour instead of its
    /// glyph, and dots and glyphs take their series' colour.
    func line(_ row: Int, coloured: Bool) -> String {
        var text = ""
        var currentStyle = ""
        for column in 0..<columns {
            let cell = row * columns + column
            var character: Character = " "
            var foreground: Int?
            var background: Int?
            var bold = false
            if coloured, let colour = fillColours[cell] {
                background = colour
            } else if let fill = fills[cell] {
                character = fill
            }
            if let glyph = glyphs[cell] {
                character = glyph
                foreground = glyphColours[cell]
                bold = true
            } else if dots[cell] != 0 {
                if charset == .unicode {
                    character = Character(Unicode.Scalar(0x2800 + UInt32(dots[cell])) ?? " ")
                } else {
                    character = BrailleCanvas.asciiSeriesMarks[dotSeries[cell] % BrailleCanvas.asciiSeriesMarks.count]
                }
                foreground = BrailleCanvas.seriesColours[dotSeries[cell] % BrailleCanvas.seriesColours.count]
            }
            if coloured {
                var style = ""
                if bold { style += "\u{1B}[1m" }
                if let foreground { style += "\u{1B}[38;5;\(foreground)m" }
                if let background { style += "\u{1B}[48;5;\(background)m" }
                if style != currentStyle {
                    text += currentStyle.isEmpty ? "" : "\u{1B}[0m"
                    text += style
                    currentStyle = style
                }
            }
            text.append(character)
        }
        if !currentStyle.isEmpty { text += "\u{1B}[0m" }
        return text
    }
}
