import SealTensor
import Testing

/// The blocked layout of the f16 cache's keys (`seal_half.h`): ``HalfBuffer/encodeKey(_:headDimension:position:head:)``
/// puts each element where the layout's definition says, and ``HalfBuffer/decodeKeys(_:headDimension:head:into:)``
/// gives back the rows (rounded to halves as `HalfConversion` rounds them) for ranges that start and
/// end inside blocks, over head dimensions that are and are not multiples of the conversion's slices.
@Suite("f16 key layout")
struct HalfKeyLayoutTests {
    @Test(arguments: [(64, 40), (20, 33), (96, 16), (130, 50)])
    func storesWhereTheLayoutSaysAndReadsBack(headDimension hd: Int, positions: Int) {
        let headRows = HalfBuffer.wholeKeyBlocks(positions), heads = 2
        let buffer = HalfBuffer(count: heads * headRows * hd)
        let rows = (0..<(heads * positions * hd)).map { Float(($0 * 7919) % 2001) / 1000 - 1 }
        let halves = HalfConversion.encode(rows, variant: .portable)
        for head in 0..<heads {
            for position in 0..<positions {
                rows.withUnsafeBufferPointer { source in
                    buffer.encodeKey(source.baseAddress! + (head * positions + position) * hd, headDimension: hd,
                                     position: position, head: head * headRows * hd)
                }
            }
        }
        var misplaced = 0
        for head in 0..<heads {
            for position in 0..<positions {
                for i in 0..<hd {
                    let stored = buffer.pointer[head * headRows * hd + (position / 16) * 16 * hd + i * 16 + position % 16]
                    if stored != halves[(head * positions + position) * hd + i] { misplaced += 1 }
                }
            }
        }
        #expect(misplaced == 0, "\(misplaced) elements are not where the layout puts them")

        let widened = HalfConversion.decode(halves, variant: .portable)
        for range in [0..<positions, 3..<(positions - 2), 15..<16, (positions - 1)..<positions] {
            var out = [Float](repeating: .nan, count: range.count * hd)
            out.withUnsafeMutableBufferPointer { target in
                buffer.decodeKeys(range, headDimension: hd, head: headRows * hd, into: target.baseAddress!)
            }
            let expected = Array(widened[((positions + range.lowerBound) * hd)..<((positions + range.upperBound) * hd)])
            #expect(out == expected, "head 1, positions \(range)")
        }
    }
}
