using System.Text;
using Grape.Core.Storage.Payload;
using Grape.Core.Tests.Storage.Segments;

namespace Grape.Core.Tests.Storage.Payload;

public class PayloadStorageTests
{
    [Fact]
    public void Blobs_never_straddle_a_view_and_survive_persist_and_reopen()
    {
        using var temp = new TempFolder();
        string blobs = temp.Sub("blobs.bin"), index = temp.Sub("index.bin");
        PayloadStorage.CreateFiles(blobs, index);
        string[] payloads = ["{\"a\":1}", "", new string('x', 60), new string('y', 200), "{\"b\":2}", new string('z', 64), ""];
        using (PayloadStorage storage = PayloadStorage.Open(blobs, index, chunkBytes: 64, slotCount: 0, payloadBytes: 0, slotChunkShift: 2))
        {
            for (int s = 0; s < payloads.Length; s++)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(payloads[s]);
                storage.Reserve((uint)s, bytes.Length);
                storage.Write((uint)s, bytes);
            }
            for (int s = 0; s < payloads.Length; s++) Assert.Equal(payloads[s], Encoding.UTF8.GetString(storage.Get((uint)s)));
            // [0,7) then 60 skips to 64; 200 skips to 128 in a 4-chunk view [128,384); 7 fits at 328; 64 skips to 384.
            Assert.Equal(448, storage.Tail);
            storage.Persist(0, (uint)payloads.Length, 0, storage.Tail);
        }
        using (PayloadStorage reopened = PayloadStorage.Open(blobs, index, 64, payloads.Length, 448, slotChunkShift: 2))
        {
            for (int s = 0; s < payloads.Length; s++) Assert.Equal(payloads[s], Encoding.UTF8.GetString(reopened.Get((uint)s)));
        }
    }
}
