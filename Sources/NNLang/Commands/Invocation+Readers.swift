import NNEngine

/// Readers for options whose messages say more than their spec's type does: the range still
/// comes from the spec, the words of the message from the command.
extension Invocation {
    /// A whole-number option's value, checked against its range (narrowed to `maximum` when
    /// the session sets a lower one), a message naming it `what` ("the seed"); nil when not given.
    func givenWholeNumber(_ name: String, describedAs what: String, maximum: Int? = nil) throws(Diagnostic) -> Int? {
        guard let given = option(name) else { return nil }
        guard case .wholeNumber(let range) = optionSpec(name).type else {
            preconditionFailure("option '\(name)' of '\(spec.name)' is not a whole number")
        }
        return try session.wholeNumber(given.value, what: what, minimum: range.lowerBound, maximum: min(range.upperBound, maximum ?? .max))
    }

    /// The learning rate of `lr=`, greater than 0, or nil when it is not given.
    func givenLearningRate() throws(Diagnostic) -> Double? {
        guard let given = option("lr") else { return nil }
        // Read unchecked, so that a rate of 0 or less gets the learning rate's own message.
        let rate = try session.number(given.value, what: "lr")
        guard rate > 0 else { throw Diagnostic(.learningRateNotPositive(formatter.format(rate)), at: given.value.span) }
        return rate
    }
}
