import NNLang

extension NNCommand {
    /// What a hidden generator flag asks for instead of running a program: the language's words
    /// as JSON for the editor grammars, or the man page.
    var generatedText: String? {
        if listWords { return Vocabulary.current.json }
        if generateManPage { return ManPage.render() }
        return nil
    }
}
