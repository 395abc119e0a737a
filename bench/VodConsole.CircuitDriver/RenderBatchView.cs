using System.Buffers.Binary;
using System.Text;

namespace VodConsole.CircuitDriver;

/// <summary>An element of a render batch with its attributes, and the click handler attached to it (0 if none).</summary>
public sealed record RenderedElement(string Name, IReadOnlyDictionary<string, string?> Attributes, ulong ClickHandlerId);

/// <summary>
/// What a driver needs of one render batch, read from Blazor's binary format (RenderBatchWriter in the framework:
/// the sections' offsets in the last 20 bytes; reference frames 20 bytes each; a string table of length-prefixed UTF-8).
/// It does not keep a DOM: it reads the strings the batch brings (text, attribute values) and the elements it inserts
/// with their attributes, which is enough to see that a page rendered and to find a button's click handler.
/// </summary>
public sealed class RenderBatchView
{
    private const int FrameSize = 20;
    private const int ElementFrame = 1;
    private const int AttributeFrame = 3;

    private RenderBatchView(long id, int size, IReadOnlyList<string> strings, IReadOnlyList<RenderedElement> elements)
    {
        Id = id;
        Size = size;
        Strings = strings;
        Elements = elements;
    }

    public long Id { get; }
    public int Size { get; }
    public IReadOnlyList<string> Strings { get; }
    public IReadOnlyList<RenderedElement> Elements { get; }

    /// <summary>Whether any string of the batch (a text, an attribute value) contains <paramref name="text"/>.</summary>
    public bool Contains(string text) => Strings.Any(s => s.Contains(text, StringComparison.Ordinal));

    public static RenderBatchView Read(long id, byte[] data)
    {
        int Int(int at) => BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(at));
        var end = data.Length - 5 * 4;
        var referenceFrames = Int(end + 4);
        var stringTable = Int(end + 16);

        var strings = new string[(end - stringTable) / 4];
        for (var i = 0; i < strings.Length; i++)
        {
            var at = Int(stringTable + 4 * i);
            // BinaryWriter.Write(string): a 7-bit encoded byte count, then UTF-8.
            var length = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data[at++];
                length |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    break;
                }
            }
            strings[i] = Encoding.UTF8.GetString(data, at, length);
        }
        string? String(int index) => index < 0 ? null : strings[index];

        // An inserted element is followed by its attribute frames.
        var elements = new List<RenderedElement>();
        var count = Int(referenceFrames);
        for (var i = 0; i < count; i++)
        {
            var frame = referenceFrames + 4 + i * FrameSize;
            if (Int(frame) != ElementFrame)
            {
                continue;
            }
            var name = String(Int(frame + 8)) ?? "";
            var attributes = new Dictionary<string, string?>(StringComparer.Ordinal);
            ulong click = 0;
            for (var j = i + 1; j < count && Int(referenceFrames + 4 + j * FrameSize) == AttributeFrame; j++)
            {
                var attribute = referenceFrames + 4 + j * FrameSize;
                var attributeName = String(Int(attribute + 4)) ?? "";
                var handler = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(attribute + 12));
                attributes[attributeName] = String(Int(attribute + 8));
                if (attributeName == "onclick" && handler != 0)
                {
                    click = handler;
                }
            }
            elements.Add(new RenderedElement(name, attributes, click));
        }
        return new RenderBatchView(id, data.Length, strings, elements);
    }
}
