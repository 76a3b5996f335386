/// One subsample of a sample (ISO/IEC 23001-7 §7.2.2): `clear` bytes, then `protected` bytes.
public struct CENCSubsample: Sendable, Hashable {
    public var clear: UInt16
    public var protected: UInt32

    public init(clear: UInt16, protected: UInt32) {
        self.clear = clear
        self.protected = protected
    }
}

extension CENCTrack {
    /// The subsamples of `sample` (NAL units behind their lengths), as ``CENCTrack`` says; nil
    /// for a layout without subsamples. Clear runs longer than a 16-bit count are split.
    func subsamples(_ sample: UnsafeRawBufferPointer) throws(ContainersError) -> [CENCSubsample]? {
        guard case .nalUnits(let lengthSize, let hevc) = layout else { return nil }
        var out: [CENCSubsample] = []
        var clear = 0
        var position = 0
        func flush(protected: Int) {
            while clear > Int(UInt16.max) {
                out.append(CENCSubsample(clear: .max, protected: 0))
                clear -= Int(UInt16.max)
            }
            out.append(CENCSubsample(clear: UInt16(clear), protected: UInt32(protected)))
            clear = 0
        }
        while position < sample.count {
            guard sample.count - position >= lengthSize else {
                throw .truncated(what: "NAL unit length", needed: lengthSize, available: sample.count - position)
            }
            var length = 0
            for i in 0..<lengthSize { length = length << 8 | Int(sample[position + i]) }
            let start = position + lengthSize
            guard length >= 1, length <= sample.count - start else {
                throw .invalid(what: "NAL unit", reason: "length \(length) at \(position) overruns the \(sample.count)-byte sample")
            }
            let body = length - Self.videoClearLeader
            if Self.isVCL(sample[start], hevc: hevc), body >= 16 {
                clear += lengthSize + Self.videoClearLeader
                flush(protected: body)
            } else {
                clear += lengthSize + length
            }
            position = start + length
        }
        if clear > 0 || out.isEmpty { flush(protected: 0) }
        return out
    }
}
