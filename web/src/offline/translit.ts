/** Transliteration to ASCII as the server does it (the `deunicode` crate), for the matcher's
 * normalisation: Unicode compatibility decomposition with the accents dropped ('Müller' →
 * 'Muller'), plus deunicode's spelling of the letters that do not decompose — Latin ones such as
 * ß, Ø, Ł, Æ and the Cyrillic alphabet ('Александр' → 'Aleksandr'). Other scripts (Greek, CJK, …)
 * are dropped here where the server would spell them out; the table below is deunicode 1.6's
 * output for U+00C0–U+017F (where it differs from the decomposition) and U+0400–U+045F. */

const TABLE: Record<string, string> = {
  'Æ': 'AE', 'Ð': 'D', '×': 'x', 'Ø': 'O', 'Þ': 'Th', 'ß': 'ss', 'æ': 'ae', 'ð': 'd', '÷': '/',
  'ø': 'o', 'þ': 'th', 'Đ': 'D', 'đ': 'd', 'Ħ': 'H', 'ħ': 'h', 'ı': 'i', 'ĸ': 'k', 'Ŀ': 'L',
  'ŀ': 'l', 'Ł': 'L', 'ł': 'l', 'ŉ': "'n", 'Ŋ': 'ng', 'ŋ': 'NG', 'Œ': 'OE', 'œ': 'oe', 'Ŧ': 'T',
  'ŧ': 't', 'Ѐ': 'Ie', 'Ё': 'Io', 'Ђ': 'Dj', 'Ѓ': 'Gj', 'Є': 'E', 'Ѕ': 'Dz', 'І': 'I', 'Ї': 'Yi',
  'Ј': 'J', 'Љ': 'Lj', 'Њ': 'Nj', 'Ћ': 'Tsh', 'Ќ': 'Kj', 'Ѝ': 'I', 'Ў': 'U', 'Џ': 'Dzh', 'А': 'A',
  'Б': 'B', 'В': 'V', 'Г': 'G', 'Д': 'D', 'Е': 'E', 'Ж': 'Zh', 'З': 'Z', 'И': 'I', 'Й': 'I',
  'К': 'K', 'Л': 'L', 'М': 'M', 'Н': 'N', 'О': 'O', 'П': 'P', 'Р': 'R', 'С': 'S', 'Т': 'T', 'У': 'U',
  'Ф': 'F', 'Х': 'Kh', 'Ц': 'Ts', 'Ч': 'Ch', 'Ш': 'Sh', 'Щ': 'Shch', 'Ъ': "'", 'Ы': 'Y', 'Ь': "'",
  'Э': 'E', 'Ю': 'Iu', 'Я': 'Ia', 'а': 'a', 'б': 'b', 'в': 'v', 'г': 'g', 'д': 'd', 'е': 'e',
  'ж': 'zh', 'з': 'z', 'и': 'i', 'й': 'i', 'к': 'k', 'л': 'l', 'м': 'm', 'н': 'n', 'о': 'o',
  'п': 'p', 'р': 'r', 'с': 's', 'т': 't', 'у': 'u', 'ф': 'f', 'х': 'kh', 'ц': 'ts', 'ч': 'ch',
  'ш': 'sh', 'щ': 'shch', 'ъ': "'", 'ы': 'y', 'ь': "'", 'э': 'e', 'ю': 'iu', 'я': 'ia', 'ѐ': 'ie',
  'ё': 'io', 'ђ': 'dj', 'ѓ': 'gj', 'є': 'ie', 'ѕ': 'dz', 'і': 'i', 'ї': 'yi', 'ј': 'j', 'љ': 'lj',
  'њ': 'nj', 'ћ': 'tsh', 'ќ': 'kj', 'ѝ': 'i', 'ў': 'u', 'џ': 'dzh',
};

/** `s` in ASCII where this module knows how; characters it does not know are left as they are. */
export function transliterate(s: string): string {
  let out = '';
  for (const ch of s) {
    if (ch.charCodeAt(0) < 0x80) out += ch;
    else out += TABLE[ch] ?? ch.normalize('NFKD').replace(/\p{M}/gu, '');
  }
  return out;
}
