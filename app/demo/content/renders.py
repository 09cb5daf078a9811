"""The demo's renders: the recipes, and the ffmpeg failures of render jobs that failed."""

from __future__ import annotations

RECIPES = (
    "platform_encode",
    "vertical_reframe",
    "trim_concat",
    "loudness",
    "burn_subtitles",
    "watermark",
)
# (last_error, log tail) of render jobs that failed; paths are the edit box's footage share.
RENDER_FAILURES: tuple[tuple[str, str], ...] = (
    (
        "ffmpeg exited with status 1: /srv/footage/2026-cards/C0042.MP4: Invalid data found when processing input",
        "ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers\n"
        "  built with gcc 12 (Debian 12.2.0-14)\n"
        "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d1c2a4b2c0] moov atom not found\n"
        "/srv/footage/2026-cards/C0042.MP4: Invalid data found when processing input",
    ),
    (
        "ffmpeg exited with status 1: Error initializing filter 'subtitles' (captions file not found)",
        "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '/srv/footage/2026-cards/IMG_4471.MOV':\n"
        "  Duration: 00:00:41.27, start: 0.000000, bitrate: 15873 kb/s\n"
        "  Stream #0:0[0x1](und): Video: hevc (Main 10) (hvc1 / 0x31637668), yuv420p10le(tv), 1920x1080, 29.97 fps\n"
        "[Parsed_subtitles_1 @ 0x5630a8e1f900] Unable to open /srv/renders/captions/post-17.srt\n"
        "[AVFilterGraph @ 0x5630a8e0d440] Error initializing filter 'subtitles' with args '/srv/renders/captions/post-17.srt'\n"
        "Error reinitializing filters!\n"
        "Failed to inject frame into filter network: No such file or directory\n"
        "Error while processing the decoded data for stream #0:0",
    ),
    (
        "ffmpeg exited with status 1: av_interleaved_write_frame(): No space left on device",
        "frame= 1262 fps= 48 q=23.0 size=   38912kB time=00:00:42.07 bitrate=7576.1kbits/s speed=1.61x\n"
        "[mp4 @ 0x55f0e3c1a8c0] Application provided invalid, non monotonically increasing dts to muxer in stream 1\n"
        "av_interleaved_write_frame(): No space left on device\n"
        "[mp4 @ 0x55f0e3c1a8c0] moov atom not written: No space left on device\n"
        "Error writing trailer of /srv/renders/post-23-platform_encode.mp4.partial: No space left on device\n"
        "Conversion failed!",
    ),
)
