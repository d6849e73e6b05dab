; Inno Setup 6 script: the Windows installer of the desktop client (docs/INSTALL.md).
;
; Build the one-folder app first (`bash scripts/build-package.sh` in Git Bash, which also runs this when ISCC is
; installed), or by hand:
;     ISCC.exe /DAppVersion=0.1.0 packaging\windows\desktop_app.iss
; Output: dist\desktop-app-setup-VERSION.exe.
;
; - Per-machine install to Program Files\DesktopApp (administrator rights), Start menu entry, optional desktop icon.
; - AppId is fixed for good: a newer installer finds the installed version and replaces it in place (same folder,
;   same Start menu entry); installing never touches the users' data.
; - Each Windows user's data directory is %LOCALAPPDATA%\desktop-app (platformdirs' user_data_dir for
;   "desktop-app"): the encrypted database, its key store, backups and logs. Uninstalling leaves it in place.
; - Tesseract OCR: when a Tesseract for Windows folder (tesseract.exe, its DLLs, tessdata\ with eng and chi_sim) is
;   at {#TesseractDir}, it is installed as {app}\tesseract, where the program looks first; otherwise the program
;   uses a Tesseract installed in Program Files\Tesseract-OCR.
; - Languages: English, and Simplified Chinese when ChineseSimplified.isl (an unofficial Inno Setup translation, not
;   in Inno's own Languages folder) is beside this script or in Inno's Languages folder.
;
; Needs Inno Setup 6.3 or newer (x64compatible). Saved as UTF-8 with a byte-order mark: Inno reads the Chinese
; messages correctly only so. Untested on Windows so far: written with care, compiled by nobody yet.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef TesseractDir
  #define TesseractDir SourcePath + "..\..\dist\tesseract"
#endif
#define AppDist SourcePath + "..\..\dist\desktop-app"
#define ChineseHere FileExists(SourcePath + "ChineseSimplified.isl")
#define ChineseInInno FileExists(CompilerPath + "Languages\ChineseSimplified.isl")

[Setup]
; Never change AppId: it is how an update finds the installed program.
AppId={{68F7DF50-E1F6-4C26-8709-405B5C144600}
AppName=KYC Entry
AppVersion={#AppVersion}
AppVerName=KYC Entry {#AppVersion}
AppPublisher=Desktop App
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\DesktopApp
DefaultGroupName=KYC Entry
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
SetupIconFile=..\..\resources\icons\desktop-app.ico
UninstallDisplayIcon={app}\desktop-app.exe
UninstallDisplayName=KYC Entry {#AppVersion}
OutputDir=..\..\dist
OutputBaseFilename=desktop-app-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
; An update closes a running copy (Restart Manager) rather than leave files half-replaced.
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=auto

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
#if ChineseHere
Name: "chinesesimp"; MessagesFile: "ChineseSimplified.isl"
#elif ChineseInInno
Name: "chinesesimp"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif

[CustomMessages]
english.AppName=KYC Entry
english.AdminCommandLine=KYC Entry command line
english.DataStays=Each user's data (AppData\Local\desktop-app) was left in place.
#if ChineseHere || ChineseInInno
chinesesimp.AppName=客户信息录入
chinesesimp.AdminCommandLine=客户信息录入命令行
chinesesimp.DataStays=各用户的数据（AppData\Local\desktop-app）已保留。
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; What the previous version shipped goes first, so that no stale module of it lingers beside the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#AppDist}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
#if FileExists(TesseractDir + "\tesseract.exe")
Source: "{#TesseractDir}\*"; DestDir: "{app}\tesseract"; Flags: ignoreversion recursesubdirs createallsubdirs
#else
  #pragma message "No Tesseract at " + TesseractDir + ": the installer relies on one in Program Files\Tesseract-OCR"
#endif

[Icons]
Name: "{autoprograms}\{cm:AppName}"; Filename: "{app}\desktop-app.exe"
Name: "{autoprograms}\{cm:AdminCommandLine}"; Filename: "{cmd}"; Parameters: "/k desktop-app-cli.exe --help"; WorkingDir: "{app}"
Name: "{autodesktop}\{cm:AppName}"; Filename: "{app}\desktop-app.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\desktop-app.exe"; Description: "{cm:LaunchProgram,{cm:AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  { The uninstaller removes only what it installed; this says so, for the branch administrator. }
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(CustomMessage('DataStays'), mbInformation, MB_OK);
end;
