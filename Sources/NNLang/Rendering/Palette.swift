/// Colours for what nn prints, as ANSI escape sequences or nothing at all.
///
/// The language decides what is a heading or an error; whether that shows in colour is the
/// executable's choice (a terminal, `NO_COLOR`, `--color`), passed in as a palette.
public struct Palette: Equatable, Sendable {
    public enum Style: Sendable {
        case error, warning, heading, caret, location, prompt
    }

    public var isEnabled: Bool

    public static let plain = Palette(isEnabled: false)
    public static let ansi = Palette(isEnabled: true)

    public init(isEnabled: Bool) {
        self.isEnabled = isEnabled
    }

    /// `text` in the style's colour, or unchanged when colour is off.
    public func paint(_ text: String, as style: Style) -> String {
        guard isEnabled, !text.isEmpty else { return text }
        return Palette.start(of: style) + text + "\u{1B}[0m"
    }

    public static func start(of style: Style) -> String {
        switch style {
        case .error: return "\u{1B}[1;31m"  // bold red
        case .warning: return "\u{1B}[1;33m"  // bold yellow
        case .heading: return "\u{1B}[1m"  // bold
        case .caret: return "\u{1B}[1;32m"  // bold green
        case .location: return "\u{1B}[1m"
        case .prompt: return "\u{1B}[1;36m"  // bold cyan
        }
    }
}
