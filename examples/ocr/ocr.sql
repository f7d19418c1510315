-- OCR of a directory of text-line images, in SQL.
--   examples/models/fetch-ocr.sh     (once: PaddleOCR's models into ~/.cache/kiln/models/ocr; ./kiln test does it too)
--   ./kiln sql --images lines=examples/ocr/lines -f examples/ocr/ocr.sql
-- The recognizer (PP-OCRv4) runs with PaddleOCR's preprocessing - height 48, the width keeping each
-- image's aspect, OpenCV's BGR channel order, (x/255 - 0.5)/0.5 - and a CTC decoder over its keys,
-- so PREDICT gives a VARCHAR. broken.png is not an image: its text is NULL and `error` says why.
CREATE MODEL ocr FROM '~/.cache/kiln/models/ocr/ch_PP-OCRv4_rec_infer.onnx' WITH (
    image_height = 48, image_width = 'auto', channel_order = 'bgr',
    mean = '0.5, 0.5, 0.5', std = '0.5, 0.5, 0.5',
    decoder = 'ctc', keys = '~/.cache/kiln/models/ocr/ppocr_keys_v1.txt');

SELECT origin, image.width, PREDICT(ocr, image) AS ocr_text, error
FROM lines
ORDER BY origin;
