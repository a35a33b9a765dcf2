@echo off
rem Skylift from a clone of the source, on Windows: finds a JDK 25 by itself, builds when the jar
rem is missing or older than the sources, then runs the command line, or the window when no command
rem is given.   skylift gui --sandbox   |   skylift upload FILE --to FOLDER   |   skylift --help
setlocal
set "ROOT=%~dp0"
set "ROOT=%ROOT:~0,-1%"
set "JAR=%ROOT%\app\target\skylift.jar"
set "FOUND="

rem JAVA_HOME if it is a JDK 25 or newer, then java on the PATH, then the usual JDK folders.
if defined JAVA_HOME call :consider "%JAVA_HOME%"
if not defined FOUND (
  for /f "tokens=2 delims==" %%h in ('java -XshowSettings:properties -version 2^>^&1 ^| findstr /c:"java.home ="') do (
    if not defined FOUND for /f "tokens=* delims= " %%t in ("%%h") do call :consider "%%t"
  )
)
for %%d in ("%ProgramFiles%\Eclipse Adoptium" "%ProgramFiles%\Java" "%ProgramFiles%\Microsoft" "%ProgramFiles%\Zulu" ^
            "%ProgramFiles%\Amazon Corretto" "%ProgramFiles%\BellSoft" "%LOCALAPPDATA%\Programs\Eclipse Adoptium" "%USERPROFILE%\.jdks") do (
  if not defined FOUND if exist "%%~d" for /d %%j in ("%%~d\*") do if not defined FOUND call :consider "%%~j"
)
if not defined FOUND (
  echo Skylift needs a JDK 25 and found none: install one ^(for example Temurin 25 from https://adoptium.net^), or set JAVA_HOME to it. 1>&2
  exit /b 1
)
set "JAVA_HOME=%FOUND%"

rem Build when the jar is missing or any source or build file is newer than it.
set "STALE=1"
if exist "%JAR%" (
  for /f %%s in ('powershell -NoProfile -Command "$jar = (Get-Item -LiteralPath '%JAR%').LastWriteTimeUtc; $newer = Get-ChildItem -LiteralPath '%ROOT%\pom.xml','%ROOT%\app\pom.xml','%ROOT%\backend-lambda\pom.xml','%ROOT%\local-s3\pom.xml','%ROOT%\app\src\main','%ROOT%\backend-lambda\src\main','%ROOT%\local-s3\src\main' -Recurse -File | Where-Object { $_.LastWriteTimeUtc -gt $jar } | Select-Object -First 1; if ($newer) { 1 } else { 0 }"') do set "STALE=%%s"
)
if "%STALE%"=="1" (
  echo Building Skylift with %JAVA_HOME% ^(the first build downloads Maven and the libraries^)... 1>&2
  pushd "%ROOT%"
  call mvnw.cmd --batch-mode --no-transfer-progress -q package -DskipTests -pl app -am
  if errorlevel 1 ( popd & echo The build failed. 1>&2 & exit /b 1 )
  popd
  powershell -NoProfile -Command "(Get-Item -LiteralPath '%JAR%').LastWriteTimeUtc = [DateTime]::UtcNow"
)

set "OPTIONS=%ROOT%\app\src\main\launcher\jvm-options"
if "%~1"=="" set "OPTIONS=%ROOT%\app\src\main\launcher\window-jvm-options"
if "%~1"=="gui" set "OPTIONS=%ROOT%\app\src\main\launcher\window-jvm-options"
set /p JVM_OPTIONS=<"%OPTIONS%"
"%JAVA_HOME%\bin\java.exe" %JVM_OPTIONS% -jar "%JAR%" %*
exit /b %errorlevel%

rem Sets FOUND to %1 when it is a JDK (with javac) whose release file says 25 or newer.
:consider
set "CANDIDATE=%~1"
set "VERSION="
set "FEATURE="
if not exist "%CANDIDATE%\bin\javac.exe" exit /b 0
if not exist "%CANDIDATE%\release" exit /b 0
for /f "tokens=2 delims==" %%v in ('findstr /b "JAVA_VERSION=" "%CANDIDATE%\release"') do set "VERSION=%%~v"
for /f "tokens=1 delims=." %%f in ("%VERSION%") do set "FEATURE=%%f"
if defined FEATURE if %FEATURE% GEQ 25 set "FOUND=%CANDIDATE%"
exit /b 0
