/// The user's variables, each in a numbered slot.
///
/// The resolver gives every name a program mentions its slot once, before the program runs, so
/// that the evaluator reads and writes a variable by position, without hashing its name at every
/// use; everything else reads and writes by name, as in a dictionary. A slot stays empty (nil)
/// until something is assigned to it, and an empty slot is no variable: it is not in `keys`.
public struct Variables: Sendable {
    /// The value in each slot, nil while the name has none.
    private(set) var values: [Value?] = []
    /// The name of each slot.
    private var names: [String] = []
    /// Each name's slot.
    private var slots: [String: Int] = [:]

    public init() {}

    /// The value of the variable `name`, or nil when there is none; setting nil removes it.
    public subscript(name: String) -> Value? {
        get { slots[name].flatMap { values[$0] } }
        set {
            if newValue == nil, slots[name] == nil { return }
            values[slot(for: name)] = newValue
        }
    }

    /// The names that have values, in the order they were first met.
    public var keys: [String] {
        names.indices.filter { values[$0] != nil }.map { names[$0] }
    }

    /// The slot of `name`, given it now when it has none yet.
    mutating func slot(for name: String) -> Int {
        if let slot = slots[name] { return slot }
        slots[name] = names.count
        names.append(name)
        values.append(nil)
        return names.count - 1
    }

    /// The value in a slot the resolver gave.
    @inline(__always)
    subscript(slot slot: Int) -> Value? {
        get { values[slot] }
        set { values[slot] = newValue }
    }
}
