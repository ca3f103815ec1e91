/// The characters terminal pictures are drawn with: Unicode braille, blocks and box drawing,
/// or plain ASCII for terminals and locales without UTF-8 (`set charset ascii`, `nn --ascii`).
public enum Charset: String, CaseIterable, Equatable, Sendable {
    case unicode
    case ascii
}
