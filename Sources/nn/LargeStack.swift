#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the interpreter on a thread with a large stack.
///
/// Parsing, evaluation and the freeing of syntax trees recurse as deep as a program nests.
/// The parser bounds that nesting, but within the bounds a hostile program (long operator
/// chains, functions calling functions) can still go deeper than the main thread's 8 MiB.
/// A 1 GiB stack costs nothing until used: the pages are only reserved.
enum LargeStack {
    static let size = 1 << 30

    /// The result of `body`, run on the large-stack thread; on the calling thread if no such
    /// thread can be made.
    static func run(_ body: @escaping () -> Int32) -> Int32 {
        final class Job: @unchecked Sendable {
            // Unchecked: written by the worker, read by the caller only after the join.
            let body: () -> Int32
            var status: Int32 = 0
            init(_ body: @escaping () -> Int32) { self.body = body }
        }
        let job = Job(body)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, size)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(job).toOpaque()
        let created = pthread_create(&thread, &attributes, { context in
            guard let context else { return nil }
            let job = Unmanaged<Job>.fromOpaque(context).takeRetainedValue()
            job.status = job.body()
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<Job>.fromOpaque(context).release()
            return body()
        }
        pthread_join(thread, nil)
        return job.status
    }
}
