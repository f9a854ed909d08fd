// vnu-jar ships no types; its CommonJS export is the absolute path of vnu.jar (as a String object).
declare module 'vnu-jar' {
  const jarPath: string;
  export default jarPath;
}
